/**
 * A small Prometheus registry: counters, gauges and histograms with fixed label names, rendered in
 * the text exposition format (version 0.0.4). Enough for one process's metrics without a dependency;
 * label values are bounded by construction (callers pass enumerations, never identifiers).
 */

type Labels = Readonly<Record<string, string>>

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN'
  }
  if (value === Number.POSITIVE_INFINITY) {
    return '+Inf'
  }
  if (value === Number.NEGATIVE_INFINITY) {
    return '-Inf'
  }
  return String(value)
}

function labelText(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`)
  if (extra !== undefined) {
    parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`)
  }
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

interface Metric {
  readonly name: string
  render(out: string[]): void
}

/** Reads current values at scrape time: `set(value, labels)` for each series. */
export type Reader = (set: (value: number, labels?: Labels) => void) => void

abstract class Labelled implements Metric {
  protected readonly series = new Map<string, { values: string[]; value: number }>()
  readonly #read: Reader | undefined

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    readonly labelNames: readonly string[],
    read?: Reader,
  ) {
    this.#read = read
    if (labelNames.length === 0) {
      // a metric without labels has exactly one series, shown from the start
      this.cell(undefined)
    }
  }

  protected cell(labels: Labels | undefined): { values: string[]; value: number } {
    const values = this.labelNames.map((name) => labels?.[name] ?? '')
    const key = values.join('\u0000')
    let cell = this.series.get(key)
    if (cell === undefined) {
      cell = { values, value: 0 }
      this.series.set(key, cell)
    }
    return cell
  }

  render(out: string[]): void {
    this.#read?.((value, labels) => {
      this.cell(labels).value = value
    })
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`)
    for (const { values, value } of this.series.values()) {
      out.push(`${this.name}${labelText(this.labelNames, values)} ${formatNumber(value)}`)
    }
  }
}

export class Counter extends Labelled {
  /** Adds `by` (at least 0) to the series of `labels`. */
  inc(labels?: Labels, by = 1): void {
    if (by > 0) {
      this.cell(labels).value += by
    }
  }

  /** Makes the series exist at 0, so dashboards see it before the first event. */
  touch(labels?: Labels): void {
    this.cell(labels)
  }

  get(labels?: Labels): number {
    return this.cell(labels).value
  }
}

export class Gauge extends Labelled {
  set(value: number, labels?: Labels): void {
    this.cell(labels).value = value
  }
}

export class Histogram implements Metric {
  readonly #buckets: readonly number[]
  readonly #counts: number[]
  #sum = 0
  #count = 0

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
  ) {
    this.#buckets = [...buckets].sort((a, b) => a - b)
    this.#counts = this.#buckets.map(() => 0)
  }

  observe(value: number): void {
    if (!Number.isFinite(value) || value < 0) {
      return
    }
    this.#sum += value
    this.#count++
    for (let i = 0; i < this.#buckets.length; i++) {
      if (value <= this.#buckets[i]!) {
        this.#counts[i]!++
        return
      }
    }
  }

  get count(): number {
    return this.#count
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`)
    let cumulative = 0
    for (let i = 0; i < this.#buckets.length; i++) {
      cumulative += this.#counts[i]!
      out.push(
        `${this.name}_bucket${labelText([], [], ['le', formatNumber(this.#buckets[i]!)])} ${cumulative}`,
      )
    }
    out.push(`${this.name}_bucket{le="+Inf"} ${this.#count}`)
    out.push(`${this.name}_sum ${formatNumber(this.#sum)}`, `${this.name}_count ${this.#count}`)
  }
}

export class Registry {
  readonly #metrics: Metric[] = []
  readonly #names = new Set<string>()

  #register<M extends Metric>(metric: M, labelNames: readonly string[] = []): M {
    if (!NAME.test(metric.name) || this.#names.has(metric.name)) {
      throw new RangeError(`invalid or repeated metric name ${metric.name}`)
    }
    for (const label of labelNames) {
      if (!LABEL.test(label) || label === 'le') {
        throw new RangeError(`invalid label name ${label}`)
      }
    }
    this.#names.add(metric.name)
    this.#metrics.push(metric)
    return metric
  }

  /** A counter; `read`, when given, supplies its cumulative values at scrape time (kept elsewhere). */
  counter(name: string, help: string, labelNames: readonly string[] = [], read?: Reader): Counter {
    if (!name.endsWith('_total')) {
      throw new RangeError(`counter ${name} must end in _total`)
    }
    return this.#register(new Counter(name, help, 'counter', labelNames, read), labelNames)
  }

  gauge(name: string, help: string, labelNames: readonly string[] = [], read?: Reader): Gauge {
    return this.#register(new Gauge(name, help, 'gauge', labelNames, read), labelNames)
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#register(new Histogram(name, help, buckets))
  }

  /** Every metric in the text exposition format, ending with a newline. */
  render(): string {
    const out: string[] = []
    for (const metric of this.#metrics) {
      metric.render(out)
    }
    return `${out.join('\n')}\n`
  }
}

/** The content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
