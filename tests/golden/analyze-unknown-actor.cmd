# An actor --actors does not know is a usage error.
# exit: 2
parley analyze examples/jeddah-2025.json --actors us_admin,kremlin
