# Every model with its presets and options, from the models' own option tables.
parley models
