//! The ETS state recursion: one-step forecasts, errors, state updates and the likelihood, as
//! statsforecast 2.1.1's `src/ets.cpp` (`Update`, `Forecast`, `Calc`, `ObjectiveFunction`),
//! which follows Hyndman's `etscalc` in the R package forecast.
//!
//! The state is `(l, b, s_1 .. s_m)`: level, growth (when there is a trend) and the last `m`
//! seasonal states, newest first, so `s_m` is the seasonal state of the period being forecast.
//! Each step (Hyndman et al. 2008, Table 2.2, in the "error correction" form):
//!
//! ```text
//! q = l                 (no trend)      p = y              (no season)
//!   = l + phi b         (additive)        = y - s_m        (additive)
//!   = l b^phi           (multiplicative)  = y / s_m        (multiplicative)
//! l' = q + alpha (p - q)
//! b' = phi b + (beta / alpha) (l' - l - phi b)             (additive trend)
//!    = b^phi + (beta / alpha) (l' / l - b^phi)             (multiplicative trend)
//! s' = s_m + gamma (y - q - s_m)  or  s_m + gamma (y / q - s_m),  then shift
//! ```
//!
//! The one-step forecast is `f = q` combined with `s_m`; the error is `y - f` (additive) or
//! `(y - f) / f` (multiplicative), and the criterion minimised is
//! `n log(sum e^2) + 2 sum log|f|` (the second term for multiplicative errors only), which is
//! −2 log-likelihood up to a constant.

/// An ETS component: absent, additive or multiplicative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// No such component (`N`).
    None,
    /// Additive (`A`).
    Additive,
    /// Multiplicative (`M`).
    Multiplicative,
}

/// A component as a const-generic parameter.
const fn code(c: Component) -> u8 {
    match c {
        Component::None => 0,
        Component::Additive => 1,
        Component::Multiplicative => 2,
    }
}

/// The component of a [`code`].
#[inline(always)]
const fn component(code: u8) -> Component {
    match code {
        0 => Component::None,
        1 => Component::Additive,
        _ => Component::Multiplicative,
    }
}

/// statsforecast's sentinel for "no likelihood" (`NA`).
pub(crate) const NA: f64 = -99999.0;
/// statsforecast's tolerance for comparisons with 0, 1 and [`NA`].
const TOL: f64 = 1e-10;
/// statsforecast's stand-in for a division by (nearly) zero.
const HUGE_N: f64 = 1e10;

/// The structure of a model and its smoothing constants, as the recursion uses them
/// (`beta` = 0 without trend, `gamma` = 0 without season, `phi` = 1 undamped).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recursion {
    pub error: Component,
    pub trend: Component,
    pub season: Component,
    pub m: usize,
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// The state while running through the history: seasonal states live in a ring so a step does
/// not shift `m` values.
pub(crate) struct State {
    pub level: f64,
    pub growth: f64,
    season: [f64; MAX_SEASON],
    season_len: usize,
    /// Index in `season` of `s_1` (the newest seasonal state).
    head: usize,
}

/// Largest season length the ring holds without allocating; longer seasons are rejected by
/// the caller.
pub(crate) const MAX_SEASON: usize = 64;

impl State {
    /// The state from statsforecast's initial-state layout: `[l, (b), s_1 .. s_m]`.
    pub fn from_initial(x: &[f64], trend: Component, season: Component, m: usize) -> Self {
        let has_trend = trend != Component::None;
        let mut s = [0.0; MAX_SEASON];
        let season_len = if season == Component::None { 0 } else { m };
        let start = 1 + usize::from(has_trend);
        s[..season_len].copy_from_slice(&x[start..start + season_len]);
        State {
            level: x[0],
            growth: if has_trend { x[1] } else { 0.0 },
            season: s,
            season_len,
            head: 0,
        }
    }

    /// The state from the optimiser's initial states `[l, (b), s_1 .. s_{m-1}]` and the implied
    /// last seasonal state `s_m` (`None` without season).
    #[inline]
    pub fn from_states(
        x: &[f64],
        implied: Option<f64>,
        trend: Component,
        season: Component,
        m: usize,
    ) -> Self {
        let has_trend = trend != Component::None;
        let mut s = [0.0; MAX_SEASON];
        let season_len = if season == Component::None { 0 } else { m };
        if let Some(last) = implied {
            let start = 1 + usize::from(has_trend);
            s[..season_len - 1].copy_from_slice(&x[start..start + season_len - 1]);
            s[season_len - 1] = last;
        }
        State {
            level: x[0],
            growth: if has_trend { x[1] } else { 0.0 },
            season: s,
            season_len,
            head: 0,
        }
    }

    /// Seasonal state `s_{k+1}` (`k` = 0 is the newest).
    #[inline]
    pub fn season_at(&self, k: usize) -> f64 {
        let mut i = self.head + k;
        if i >= self.season_len {
            i -= self.season_len;
        }
        self.season[i]
    }

    /// The state in statsforecast's layout `[l, (b), s_1 .. s_m]`.
    pub fn to_vec(&self, trend: Component) -> Vec<f64> {
        let mut out = vec![self.level];
        if trend != Component::None {
            out.push(self.growth);
        }
        out.extend((0..self.season_len).map(|k| self.season_at(k)));
        out
    }
}

impl Recursion {
    /// Forecasts `h` periods ahead from a state (`Forecast`): the trend is damped by
    /// `phi + phi^2 + ... + phi^k` at step `k`, seasons cycle.
    pub fn forecast(&self, st: &State, h: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(h);
        let mut phistar = self.phi;
        for i in 0..h {
            let mut f = match self.trend {
                Component::None => st.level,
                Component::Additive => st.level + phistar * st.growth,
                Component::Multiplicative => {
                    if st.growth < 0.0 {
                        f64::NAN
                    } else {
                        st.level * st.growth.powf(phistar)
                    }
                }
            };
            if self.season != Component::None {
                let m = self.m as i64;
                let mut j = m - 1 - i as i64;
                while j < 0 {
                    j += m;
                }
                let s = st.season_at(j as usize);
                if self.season == Component::Additive {
                    f += s;
                } else {
                    f *= s;
                }
            }
            out.push(f);
            if i + 1 < h {
                if (self.phi - 1.0).abs() < TOL {
                    phistar += 1.0;
                } else {
                    phistar += self.phi.powf((i + 1) as f64);
                }
            }
        }
        out
    }

    /// One state update after observing `y` (`Update`), given the previous level `old_l`, its
    /// prediction `q` (with `phi_b`, the damped growth) and the seasonal state `s_m`.
    #[inline(always)]
    fn update_from(&self, st: &mut State, y: f64, old_l: f64, q: f64, phi_b: f64, old_s: f64) {
        let p = match self.season {
            Component::None => y,
            Component::Additive => y - old_s,
            Component::Multiplicative => {
                if old_s.abs() < TOL {
                    HUGE_N
                } else {
                    y / old_s
                }
            }
        };
        let l = q + self.alpha * (p - q);
        st.level = l;
        if self.trend != Component::None {
            let r = if self.trend == Component::Additive {
                l - old_l
            } else if old_l.abs() < TOL {
                HUGE_N
            } else {
                l / old_l
            };
            st.growth = phi_b + (self.beta / self.alpha) * (r - phi_b);
        }
        if self.season != Component::None {
            let t = if self.season == Component::Additive {
                y - q
            } else if q.abs() < TOL {
                HUGE_N
            } else {
                y / q
            };
            let new_s = old_s + self.gamma * (t - old_s);
            // The oldest state's slot becomes the newest.
            let slot = if st.head == 0 {
                st.season_len - 1
            } else {
                st.head - 1
            };
            st.season[slot] = new_s;
            st.head = slot;
        }
    }

    /// Runs the recursion over `y` from `st` (`Calc`): returns statsforecast's criterion
    /// `n log(sum e^2) (+ 2 sum log|f|)`, or [`NA`] when a forecast hits the sentinel. When
    /// `errors` is given, the one-step errors are written to it.
    ///
    /// The forecast and the update share the level's prediction `q` and the seasonal state
    /// `s_m`; each is computed once with the same operations as statsforecast's separate
    /// `Forecast` and `Update`, so the results are the same to the bit.
    pub fn run(&self, st: &mut State, y: &[f64], errors: Option<&mut Vec<f64>>) -> f64 {
        // One copy of the loop per model structure, so that the per-step branches on the
        // components are resolved at compile time (same operations, same results).
        macro_rules! dispatch {
            ($($t:ident $s:ident $e:ident),* $(,)?) => {
                match (self.trend, self.season, self.error) {
                    $((Component::$t, Component::$s, Component::$e) => self
                        .run_with::<{ code(Component::$t) }, { code(Component::$s) }, { code(Component::$e) }>(
                            st, y, errors,
                        ),)*
                    _ => self.run_with::<0, 0, 1>(st, y, errors),
                }
            };
        }
        dispatch!(
            None None Additive, None Additive Additive, None Multiplicative Additive,
            Additive None Additive, Additive Additive Additive, Additive Multiplicative Additive,
            Multiplicative None Additive, Multiplicative Additive Additive,
            Multiplicative Multiplicative Additive,
            None None Multiplicative, None Additive Multiplicative,
            None Multiplicative Multiplicative, Additive None Multiplicative,
            Additive Additive Multiplicative, Additive Multiplicative Multiplicative,
            Multiplicative None Multiplicative, Multiplicative Additive Multiplicative,
            Multiplicative Multiplicative Multiplicative,
        )
    }

    #[inline(always)]
    fn run_with<const TREND: u8, const SEASON: u8, const ERROR: u8>(
        &self,
        st: &mut State,
        y: &[f64],
        mut errors: Option<&mut Vec<f64>>,
    ) -> f64 {
        let r = Recursion {
            trend: component(TREND),
            season: component(SEASON),
            error: component(ERROR),
            ..*self
        };
        let multiplicative_error = r.error == Component::Multiplicative;
        let mut lik = 0.0;
        let mut lik2 = 0.0;
        for &yi in y {
            let old_l = st.level;
            let old_b = st.growth;
            let (q, phi_b, trend_forecast) = match r.trend {
                Component::None => (old_l, 0.0, old_l),
                Component::Additive => {
                    let phi_b = r.phi * old_b;
                    let q = old_l + phi_b;
                    (q, phi_b, q)
                }
                Component::Multiplicative => {
                    let forecast = if old_b < 0.0 {
                        f64::NAN
                    } else {
                        old_l * old_b.powf(r.phi)
                    };
                    if (r.phi - 1.0).abs() < TOL {
                        (old_l * old_b, old_b, forecast)
                    } else {
                        let phi_b = old_b.powf(r.phi);
                        (old_l * phi_b, phi_b, forecast)
                    }
                }
            };
            let old_s = if r.season == Component::None {
                0.0
            } else {
                st.season_at(r.m - 1)
            };
            let f = match r.season {
                Component::None => trend_forecast,
                Component::Additive => trend_forecast + old_s,
                Component::Multiplicative => trend_forecast * old_s,
            };
            if (f - NA).abs() < TOL {
                return NA;
            }
            let e = if multiplicative_error {
                let f0 = if f.abs() < TOL { f + TOL } else { f };
                (yi - f) / f0
            } else {
                yi - f
            };
            if let Some(errors) = errors.as_deref_mut() {
                errors.push(e);
            }
            r.update_from(st, yi, old_l, q, phi_b, old_s);
            lik += e * e;
            if multiplicative_error {
                // Only a multiplicative error adds 2 sum log|f| to the criterion.
                let val = f.abs();
                lik2 += if val > 0.0 {
                    val.ln()
                } else {
                    (val + 1e-8).ln()
                };
            }
        }
        let n = y.len() as f64;
        let mut lik = if lik > 0.0 {
            n * lik.ln()
        } else {
            n * (lik + 1e-8).ln()
        };
        if multiplicative_error {
            lik += 2.0 * lik2;
        }
        lik
    }
}
