// aws-local-stepfunctions side of bench/sfn_bench.py: runs the same two workloads in process and prints
// {"chain": {...}, "map": {...}} as JSON. Usage: node bench.js SECONDS
import { StateMachine } from 'aws-local-stepfunctions';

const seconds = Number(process.argv[2] || 3);

function chain(n) {
  const states = {};
  for (let i = 0; i < n; i++) {
    states[`S${i}`] = i < n - 1 ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
  }
  return { StartAt: 'S0', States: states };
}

const mapDef = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map', ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
};

async function measure(def, input, transitionsPerExec) {
  const sm = new StateMachine(def);
  const start = process.hrtime.bigint();
  let n = 0;
  for (;;) {
    const execution = sm.run(input);
    await execution.result;
    n++;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed >= seconds) {
      return { executions: n, seconds: elapsed, exec_per_s: n / elapsed, transitions_per_s: (n * transitionsPerExec) / elapsed };
    }
  }
}

const items = Array.from({ length: 1000 }, (_, i) => ({ i }));
const out = {
  chain: await measure(chain(20), { a: 1 }, 20),
  map: await measure(mapDef, { items }, 1001),
};
console.log(JSON.stringify(out));
