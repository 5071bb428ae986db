/**
 * The Prometheus registry renders the text exposition format exactly: HELP and TYPE lines, label
 * escaping, label-less series from the start, cumulative histogram buckets, and refuses names that
 * break the conventions (counters without _total, repeated or invalid names, `le` as a label).
 */
import { describe, expect, it } from 'vitest'
import { Registry } from '../../src/metrics/registry.js'

describe('Registry', () => {
  it('renders counters, gauges and read-at-scrape series in the text format', () => {
    const r = new Registry()
    const c = r.counter('x_requests_total', 'Requests.\nSecond line', ['result'])
    c.inc({ result: 'ok' })
    c.inc({ result: 'ok' }, 2)
    c.inc({ result: 'a"b\\c\nd' })
    c.inc({ result: 'ok' }, -5) // counters never go down
    r.gauge('x_temperature', 'Degrees.').set(1.5)
    let reads = 0
    r.gauge('x_read', 'Read at scrape.', [], (set) => set(++reads))
    expect(r.render()).toBe(
      [
        '# HELP x_requests_total Requests.\\nSecond line',
        '# TYPE x_requests_total counter',
        'x_requests_total{result="ok"} 3',
        'x_requests_total{result="a\\"b\\\\c\\nd"} 1',
        '# HELP x_temperature Degrees.',
        '# TYPE x_temperature gauge',
        'x_temperature 1.5',
        '# HELP x_read Read at scrape.',
        '# TYPE x_read gauge',
        'x_read 1',
        '',
      ].join('\n'),
    )
    expect(r.render()).toContain('x_read 2')
  })

  it('shows a label-less counter at 0 before its first event', () => {
    const r = new Registry()
    r.counter('x_total', 'Things.')
    expect(r.render()).toContain('\nx_total 0\n')
  })

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const r = new Registry()
    const h = r.histogram('x_seconds', 'Latency.', [0.1, 0.01, 1])
    for (const v of [0.005, 0.05, 0.05, 0.5, 5, Number.NaN, -1]) {
      h.observe(v)
    }
    expect(r.render()).toBe(
      [
        '# HELP x_seconds Latency.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{le="0.01"} 1',
        'x_seconds_bucket{le="0.1"} 3',
        'x_seconds_bucket{le="1"} 4',
        'x_seconds_bucket{le="+Inf"} 5',
        'x_seconds_sum 5.605',
        'x_seconds_count 5',
        '',
      ].join('\n'),
    )
  })

  it('refuses names that break the conventions', () => {
    const r = new Registry()
    expect(() => r.counter('x_requests', 'No suffix.')).toThrow(/_total/)
    r.gauge('x_a', 'A.')
    expect(() => r.gauge('x_a', 'Again.')).toThrow(/repeated/)
    expect(() => r.gauge('x-b', 'Dash.')).toThrow(/invalid/)
    expect(() => r.gauge('x_c', 'Bad label.', ['le'])).toThrow(/label/)
    expect(() => r.gauge('x_d', 'Bad label.', ['a-b'])).toThrow(/label/)
  })
})
