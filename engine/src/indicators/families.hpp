// Constructors of each indicator family, called by make_indicator once it has
// checked the arguments. Periods are >= 1 here.
#pragma once

#include <memory>

#include "qtrader/indicators.hpp"

namespace qtrader::indicators {

// moving_averages.cpp
std::unique_ptr<Indicator> make_sma(BarField field, int period, int history);
std::unique_ptr<Indicator> make_ema(BarField field, int period, int history);
std::unique_ptr<Indicator> make_wma(BarField field, int period, int history);

// oscillators.cpp
std::unique_ptr<Indicator> make_rsi(BarField field, int period, int history);
std::unique_ptr<Indicator> make_macd(BarField field, int fast, int slow, int signal, int history);
std::unique_ptr<Indicator> make_roc(BarField field, int period, int history);
std::unique_ptr<Indicator> make_willr(int period, int history);
std::unique_ptr<Indicator> make_stoch(int fastk, int slowk, int slowd, int history);
std::unique_ptr<Indicator> make_cci(int period, int history);

// volatility.cpp
std::unique_ptr<Indicator> make_bbands(BarField field, int period, double nbdevup, double nbdevdn,
                                       int history);
std::unique_ptr<Indicator> make_stddev(BarField field, int period, double nbdev, int history);
std::unique_ptr<Indicator> make_atr(int period, int history);

// trend.cpp
std::unique_ptr<Indicator> make_adx(int period, int history);

// extremes.cpp
std::unique_ptr<Indicator> make_highest(BarField field, int period, int history);
std::unique_ptr<Indicator> make_lowest(BarField field, int period, int history);

// volume.cpp
std::unique_ptr<Indicator> make_obv(BarField field, int history);

}  // namespace qtrader::indicators
