namespace qtrader {}
