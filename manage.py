#!/usr/bin/env python
"""Same as the `wufei` console script, for those used to manage.py."""

from wufei.cli import main

if __name__ == "__main__":
    main()
