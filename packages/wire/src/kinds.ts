/**
 * The kind byte that opens every frame. Values are permanent: never reuse or renumber one.
 */
export const Kind = {
  Signed: 0x01,
  DeviceCertificate: 0x02,
  DeviceList: 0x03,
  PreKey: 0x04,
  PreKeyBundle: 0x05,
  RatchetHeader: 0x10,
  RatchetMessage: 0x11,
  PreKeyMessage: 0x12,
  SenderKeyMessageBody: 0x20,
  SenderKeyMessage: 0x21,
  SenderKeyDistribution: 0x22,
  GroupEnvelope: 0x23,
  SealedEnvelope: 0x30,
  SealedContent: 0x31,
  Content: 0x40,
  // relay and delivery protocols (0x50-0x6f)
  MailboxRequest: 0x50,
  MailboxResponse: 0x51,
  PreKeyRequest: 0x52,
  PreKeyResponse: 0x53,
  PreKeyUploadBody: 0x54,
  DeviceListRequest: 0x55,
  DeviceListResponse: 0x56,
  DeliverRequest: 0x57,
  DeliverResponse: 0x58,
  // device linking (0x70-0x7f)
  LinkInvite: 0x70,
  LinkRequestBody: 0x71,
  LinkRequest: 0x72,
  LinkResponse: 0x73,
} as const

export type Kind = (typeof Kind)[keyof typeof Kind]

const names = new Map<number, string>(Object.entries(Kind).map(([name, value]) => [value, name]))

export function kindName(kind: number): string {
  return names.get(kind) ?? `unknown kind 0x${kind.toString(16).padStart(2, '0')}`
}
