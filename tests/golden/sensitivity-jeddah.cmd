# Which uncertain numbers move the compromise forecast most: one-at-a-time swings and global effects.
parley sensitivity examples/jeddah-2025.json --model compromise --draws 300 --quiet
