# --allow-host takes a host name without a port: the port a Host header may give is always the bound one.
# exit: 2
parley serve --allow-host parley.lan:8080
