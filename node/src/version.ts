/** The version `ferry --version` prints (the @ferry/node package version). */
export const FERRY_VERSION = '0.1.0'
