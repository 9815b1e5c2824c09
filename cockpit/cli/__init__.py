"""The command line. ``cockpit.cli.main.main`` is the engine side; the console
entry point (``screens.launch``) injects the Textual runner so the engine never
imports textual."""
