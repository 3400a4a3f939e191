"""The Reports screen (`R` on the board): the domain's seven reports drawn as charts."""
