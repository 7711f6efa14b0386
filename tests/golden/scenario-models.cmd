# A scenario may name the models to run ("models" key); --model on the command line would override it.
# Here the weight splits exactly in half, and the file asks for the upper median.
parley forecast tests/data/models_key.json --format csv
