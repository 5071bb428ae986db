/**
 * The groups this device is in (or was, and left), keyed by group ID.
 */
import { upperBound } from '../database.js'
import { type ClientKeys, TAG } from './keys.js'
import { decodeGroup, encodeGroup } from './records-groups.js'
import type { Sink, Source } from './source.js'
import type { GroupRecord } from './types.js'

export class GroupsReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  async get(groupId: Uint8Array): Promise<GroupRecord | undefined> {
    const stored = await this.source.get(this.keys.group(groupId))
    return stored === undefined ? undefined : decodeGroup(stored)
  }

  /** Every group, ordered by group ID. */
  async list(): Promise<GroupRecord[]> {
    const prefix = this.keys.prefix(TAG.group)
    const out: GroupRecord[] = []
    for await (const [, value] of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      out.push(decodeGroup(value))
    }
    return out
  }
}

export class GroupsView extends GroupsReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Adds or replaces the group with this ID. */
  async put(group: GroupRecord): Promise<void> {
    this.store.put(this.keys.group(group.groupId), encodeGroup(group))
  }

  async delete(groupId: Uint8Array): Promise<void> {
    this.store.del(this.keys.group(groupId))
  }
}
