# The same analysis as JSON: outcomes keyed by issue id, option values as strings.
parley analyze tests/data/genius/flightbooking_a --format json
