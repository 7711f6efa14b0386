# The spatial model on one actor: a scenario it cannot run on is bad input (exit 2), with the reason.
# exit: 2
parley forecast tests/data/extreme/one-actor.json --model smp --quiet
