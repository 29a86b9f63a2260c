from toolkit.cli import main

if __name__ == "__main__":      # a spawned reader process (Windows) imports this module too
    main()
