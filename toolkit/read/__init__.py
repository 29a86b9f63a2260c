"""Reading layer: workbook → records with provenance. Only this package imports openpyxl,
python_calamine and msoffcrypto."""
