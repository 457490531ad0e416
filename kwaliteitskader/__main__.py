from kwaliteitskader.cli import main

# The guard lets multiprocessing's spawn/forkserver start methods import this module safely.
if __name__ == "__main__":
    raise SystemExit(main())
