# Converting to CSV keeps what CSV can hold (the name and the scenario's other one-line texts on "# name:"
# lines, descriptions, the reasons for positions) and names, in a warning, each thing it drops (here the
# four variants and the reasons for other numbers). The first lines of the CSV:
parley convert examples/jeddah-2025.json -o - --to csv | head -n 8 | cut -c 1-160
