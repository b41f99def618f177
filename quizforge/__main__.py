from quizforge.cli import main

raise SystemExit(main())
