"""Writing layer: everything → workbooks. Only this package imports xlsxwriter."""
