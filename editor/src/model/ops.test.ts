import { describe, expect, it } from 'vitest';
import { readDraft, waitKind } from './def.ts';
import { toGraph } from './graph.ts';
import { addState, appendStep, connect, deleteStates, pasteStates, renameState, retarget } from './ops.ts';
import { assignIn, parse, printPreserving } from './yaml-edit.ts';

const COMMENTED = `# Win back customers who stopped buying.
id: win-back   # never change: runs refer to it
name: Win back
trigger:
  event: customer.lapsed
start: hello
states:
  # First contact
  hello:
    steps:
      - uses: test.noop
        with: { channel: email, template: "we-miss-you" }   # the friendly one
    next: wait-order
  wait-order:
    wait: { event: order.placed, timeout: 7d }
    on:
      order.placed: done
  done: { end: completed } # the end
`;

/** Applies an edit the way the editor does: parse, change, print in the file's own style. */
function edit(
  text: string,
  change: (doc: ReturnType<typeof parse>, def: ReturnType<typeof readDraft>) => void,
) {
  const doc = parse(text);
  change(doc, readDraft(doc.toJS()));
  return printPreserving(text, doc);
}

/** Lines of `after` that are not in `before` (and the other way round). */
function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('visual edits change only the touched parts of the YAML', () => {
  it('keeps every comment, key order and flow style when a transition is added', () => {
    const after = edit(COMMENTED, (doc, def) => connect(doc, def, 'wait-order', 'hello'));
    expect(changedLines(COMMENTED, after)).toEqual({ added: ['      timeout: hello'], removed: [] });
  });

  it('adds a state and a step without touching the rest', () => {
    const after = edit(COMMENTED, (doc, def) => {
      const name = addState(doc, def, { kind: 'wait' });
      expect(name).toBe('wait');
      appendStep(doc, 'hello', 'test.noop', { subject: 'Hi' });
    });
    expect(after).toBe(
      COMMENTED.replace(
        '# the friendly one\n',
        '# the friendly one\n      - uses: test.noop\n        with:\n          subject: Hi\n',
      ).concat('  wait:\n    wait: { for: 1d }\n'),
    );
  });

  it('deletes a state with the transitions into it, and renames one with its references', () => {
    const deleted = edit(COMMENTED, (doc, def) => deleteStates(doc, def, ['wait-order']));
    expect(deleted).not.toContain('wait-order');
    expect(deleted).toContain('# First contact');
    const renamed = edit(COMMENTED, (doc, def) => renameState(doc, def, 'done', 'finished'));
    expect(readDraft(parse(renamed).toJS()).states['wait-order']?.on).toEqual({ 'order.placed': 'finished' });
    expect(renamed).toContain('  finished: { end: completed } # the end');
  });

  it('keeps an indented or flush sequence style and 4-space indentation', () => {
    const flush =
      'id: a\nstates:\n    s:\n        steps:\n        - uses: x.y\n        next: t\n    t:\n        end: done\n';
    const after = edit(flush, (doc) => retarget(doc, { kind: 'next', state: 's' }, 's'));
    expect(after).toBe(flush.replace('next: t', 'next: s'));
  });
});

describe('connecting nodes writes the kind of transition the source has', () => {
  const base = `id: j
name: J
trigger: { event: e }
states:
  pick:
    choose: []
  ab:
    split: []
  a: { end: a }
  b: { end: b }
`;
  it('sets start from the trigger, adds choose branches with a condition to fill in, and split weights', () => {
    let text = base;
    const step = (f: (doc: ReturnType<typeof parse>, def: ReturnType<typeof readDraft>) => unknown) => {
      text = edit(text, (doc, def) => {
        f(doc, def);
      });
    };
    step((doc, def) => connect(doc, def, null, 'pick'));
    step((doc, def) => connect(doc, def, 'pick', 'a'));
    step((doc, def) => connect(doc, def, 'pick', 'b'));
    step((doc, def) => connect(doc, def, 'ab', 'a'));
    step((doc, def) => connect(doc, def, 'ab', 'b'));
    const def = readDraft(parse(text).toJS());
    expect(def.start).toBe('pick');
    expect(def.states.pick?.choose).toEqual([{ when: '', next: 'b' }, { next: 'a' }]);
    expect(def.states.ab?.split).toEqual([
      { weight: 100, next: 'a' },
      { weight: 50, next: 'b' },
    ]);
    expect(text).toContain('- { weight: 100, next: a }');
    const graph = toGraph(def);
    expect(graph.edges.map((e) => [e.source, e.target, e.cause.kind])).toEqual([
      ['__trigger', 'pick', 'start'],
      ['pick', 'b', 'when'],
      ['pick', 'a', 'otherwise'],
      ['ab', 'a', 'weight'],
      ['ab', 'b', 'weight'],
    ]);
  });

  it('refuses to leave an end, and maps a wait for events one key at a time', () => {
    const doc = parse(COMMENTED);
    const def = readDraft(doc.toJS());
    expect(connect(doc, def, 'done', 'hello')).toBe('connect.fromEnd');
    expect(connect(doc, def, 'wait-order', 'done')).toBeNull();
    const again = readDraft(doc.toJS());
    expect(connect(doc, again, 'wait-order', 'done')).toBe('connect.allMapped');
  });

  it('pastes copies under free names, with targets among the copies following them', () => {
    const after = edit(COMMENTED, (doc, def) => {
      const names = pasteStates(doc, def, {
        hello: def.states.hello ?? {},
        'wait-order': def.states['wait-order'] ?? {},
      });
      expect([...names.values()]).toEqual(['hello-2', 'wait-order-2']);
    });
    const def = readDraft(parse(after).toJS());
    expect(def.states['hello-2']?.next).toBe('wait-order-2');
    expect(def.states['wait-order-2']?.on).toEqual({ 'order.placed': 'done' });
  });
});

describe('lines the printer would reformat survive when the edit is elsewhere', () => {
  it('keeps a long flow map split over two lines and tight brackets', () => {
    const text = `id: j
states:
  a:
    steps:
      - uses: x.y
        with: { tags: [vip] }   # tight
      - uses: x.z
        with:
          { channel: email, template: we-miss-you, subject: "We miss you, {{ customer.attributes.name }} and more" }
    next: b
  b: { end: done }
`;
    const after = edit(text, (doc, def) => {
      appendStep(doc, 'a', 'x.w');
      addState(doc, def, { kind: 'end' });
    });
    expect(after).toBe(
      `${text.replace('    next: b\n', '      - uses: x.w\n    next: b\n')}  done: { end: completed }\n`,
    );
  });
});

describe('a split that is an experiment', () => {
  const EXPERIMENT = `id: offer
name: Offer
trigger: { event: signed.up }
start: offer
states:
  offer:
    split:
      - { weight: 1, next: ten-off, label: "10 % off" }
      - { weight: 1, next: done, label: "Free shipping" }
    experiment:
      goal: { event: order.placed }    # or { outcome: converted }
      window: 7d
      pick: auto
      holdout: 10%
  ten-off: { next: done }
  done: { end: completed }
`;

  it('reads the experiment block and keeps it through graph edits', () => {
    const def = readDraft(parse(EXPERIMENT).toJS());
    expect(def.states.offer?.experiment).toEqual({
      goal: { event: 'order.placed' },
      window: '7d',
      pick: 'auto',
      holdout: '10%',
    });
    const after = edit(EXPERIMENT, (doc, d) => {
      retarget(doc, { kind: 'split', state: 'offer', index: 1 }, 'ten-off');
      renameState(doc, d, 'ten-off', 'discount');
    });
    expect(after).toContain(
      '    experiment:\n      goal: { event: order.placed }    # or { outcome: converted }\n',
    );
    expect(readDraft(parse(after).toJS()).states.offer?.experiment).toEqual(def.states.offer?.experiment);
    expect(toGraph(readDraft(parse(after).toJS())).edges.filter((e) => e.source === 'offer')).toHaveLength(2);
  });
});

describe('a best-time wait', () => {
  it('round-trips: chosen in the inspector, written as bestTime, read back as its kind', () => {
    const after = edit(COMMENTED, (doc) =>
      assignIn(doc, ['states', 'wait-order', 'wait'], { bestTime: 'within 24h' }),
    );
    expect(changedLines(COMMENTED, after)).toEqual({
      added: ['    wait: { bestTime: within 24h }'],
      removed: ['    wait: { event: order.placed, timeout: 7d }'],
    });
    const wait = readDraft(parse(after).toJS()).states['wait-order']?.wait;
    expect(waitKind(wait)).toBe('bestTime');
    expect(after.startsWith('# Win back customers who stopped buying.')).toBe(true);
  });
});
