# The forecast chart on a scale from -1e308 to 1e308: every coordinate finite (no -nan in the SVG).
parley plot tests/data/extreme/wide-scale.json --chart forecast --model compromise,median,bdm -o - --quiet
