# Nash keeps the status quo on aid unless both Russian actors want more than it: no one input moves it
# across its range, yet the draws do (R^2 0.58). The text says so, and names the inputs that go with it.
parley sensitivity examples/jeddah-2025.json --model nash --draws 300 --quiet
