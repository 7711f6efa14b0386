# Every command explains itself with --help.
parley forecast --help
