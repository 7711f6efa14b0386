# parley advise writes text, json or html.
# exit: 2
parley advise examples/jeddah-2025.json --actor ukraine --format csv
