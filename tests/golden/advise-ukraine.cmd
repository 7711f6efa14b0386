# parley advise for the Government of Ukraine on the flagship (see advise-us-admin).
parley advise examples/jeddah-2025.json --actor ukraine --quiet
