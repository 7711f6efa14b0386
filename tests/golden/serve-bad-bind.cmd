# parley serve takes an IPv4 or IPv6 address, or localhost, for --bind; anything else is a usage error.
# exit: 2
parley serve --bind example.com --allow-remote
