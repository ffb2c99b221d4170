// Property tests draw from one fixed seed, so a run is repeatable and a failure is reproduced by its seed
// alone; FAST_CHECK_SEED explores others (fast-check's default seed is the clock).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FAST_CHECK_SEED ?? 20261203) });
