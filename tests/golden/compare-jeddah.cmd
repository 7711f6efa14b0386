# The flagship's three variants (aid resumed, Russia at the table, Ukraine excluded) against the base case.
parley compare examples/jeddah-2025.json --model compromise,median,bdm --quiet
