"""Lets `python -m dealboard` behave exactly like the `dealboard` console script."""

from dealboard.cli.main import run

if __name__ == "__main__":
    run()
