// Preloaded into each timed tsc (`node --require`): prints the process's own CPU time at exit, which a busy
// machine stretches far less than the wall time (time spent waiting for a core is not counted).
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`cpu-ms ${((user + system) / 1000).toFixed(1)}\n`);
});
