from kwaliteitskader.cli import main

raise SystemExit(main())
