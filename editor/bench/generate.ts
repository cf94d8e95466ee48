/** Email templates of the editor's test fixtures (the benchmark's workflows folder): every send names one that exists. */
const TEMPLATES = ['welcome', 'we-miss-you', 'cart-reminder', 'churn-survey'];

/**
 * A valid journey of `size` states for the benchmark: steps, delays, waits for events, choices
 * and splits in turn, every state reachable, ends at the bottom (like a large real journey).
 */
export function generateJourney(id: string, size: number): string {
  const name = (i: number) => `s${String(Math.min(i, size - 1)).padStart(4, '0')}`;
  const lines = [
    `# A generated journey of ${size} states (editor benchmark).`,
    `id: ${id}`,
    `name: Generated journey of ${size} states`,
    'stage: develop',
    'trigger: { event: bench.entered }',
    'exit:',
    '  - event: order.placed',
    '    outcome: converted',
    `start: ${name(0)}`,
    'states:',
  ];
  for (let i = 0; i < size; i++) {
    lines.push(`  ${name(i)}:`);
    if (i >= size - 2) {
      lines.push(`    end: ${i === size - 1 ? 'completed' : 'lost'}`);
      continue;
    }
    const next = name(i + 1);
    switch (i % 5) {
      case 0:
        lines.push(
          '    steps:',
          '      - uses: messaging.send',
          `        with: { channel: email, template: ${TEMPLATES[i % TEMPLATES.length]} }`,
          `    next: ${next}`,
        );
        break;
      case 1:
        lines.push('    wait: { for: 1d }', `    next: ${next}`);
        break;
      case 2:
        lines.push(
          '    choose:',
          `      - when: 'customer.attributes.vip == true'`,
          `        next: ${next}`,
          `      - next: ${name(i + 2)}`,
        );
        break;
      case 3:
        lines.push(
          '    wait: { event: message.clicked, timeout: 3d }',
          '    on:',
          `      message.clicked: ${next}`,
          `      timeout: ${name(i + 2)}`,
        );
        break;
      default:
        lines.push(
          '    split:',
          `      - { weight: 80, next: ${next} }`,
          `      - { weight: 20, next: ${name(size - 2)} }`,
        );
    }
  }
  return `${lines.join('\n')}\n`;
}
