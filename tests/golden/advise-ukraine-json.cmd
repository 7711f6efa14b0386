# Ukraine's advice as JSON (see advise-us-admin-json).
parley advise examples/jeddah-2025.json --actor ukraine --format json --quiet
