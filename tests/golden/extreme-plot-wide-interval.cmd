# The headline's interval band on a scale from -1e308 to 1e308: every coordinate finite.
parley plot tests/data/extreme/wide-scale.json --chart forecast --model ensemble,compromise -o - --quiet
