# The flagship's 10 actors: by default the 3 with the largest capability x salience (the output says so),
# every issue gridded at the actors' positions and the reference point.
parley analyze examples/jeddah-2025.json
