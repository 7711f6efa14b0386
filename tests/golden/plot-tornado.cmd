# parley plot: what moves the compromise forecast of the ceasefire most (tornado).
parley plot examples/jeddah-2025.json --chart tornado --issue ceasefire --model compromise --draws 50 -o - --quiet
