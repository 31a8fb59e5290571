import type { tl } from '@telegram-mt/tl';
import type { MethodRegistry, RpcContext } from './registry.js';

/** Options of the built-in help.* answers. */
export interface HelpOptions {
  /** ISO country code help.getNearestDc reports for the caller (Telegram derives it from the IP). */
  country: string;
  /** The DC help.getNearestDc calls nearest; defaults to the DC answering. */
  nearestDc: number | undefined;
  /** How long a config stays valid, in seconds (config.expires = date + this). */
  configTtlSeconds: number;
}

export const defaultHelpOptions: HelpOptions = { country: 'NL', nearestDc: undefined, configTtlSeconds: 3600 };

/**
 * help.getConfig: the emulator's own DC list (every DC on its loopback
 * address and port) and the limits Telegram's production config carries, so
 * clients that read them behave as they would against Telegram.
 */
export function configOf(ctx: RpcContext, opts: HelpOptions): tl.config {
  const date = Math.floor(ctx.now() / 1000);
  const dcOptions: tl.dcOption[] = ctx.dcs.map((dc) => ({
    _: 'dcOption',
    ipv6: dc.host.includes(':'),
    mediaOnly: false,
    tcpoOnly: false,
    cdn: false,
    static: false,
    thisPortOnly: false,
    id: dc.id,
    ipAddress: dc.host,
    port: dc.port,
    secret: undefined,
  }));
  return {
    _: 'config',
    defaultP2pContacts: false,
    preloadFeaturedStickers: false,
    revokePmInbox: true,
    blockedMode: false,
    forceTryIpv6: false,
    date,
    expires: date + opts.configTtlSeconds,
    testMode: false,
    thisDc: ctx.dcId,
    dcOptions,
    dcTxtDomainName: 'apv3.stel.com',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    tmpSessions: undefined,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    autoupdateUrlPrefix: undefined,
    gifSearchUsername: 'gif',
    venueSearchUsername: 'foursquare',
    imgSearchUsername: 'bing',
    staticMapsProvider: undefined,
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: 4,
    suggestedLangCode: undefined,
    langPackVersion: undefined,
    baseLangPackVersion: undefined,
    reactionsDefault: undefined,
    autologinToken: undefined,
  } as tl.config;
}

export function registerHelpMethods(registry: MethodRegistry, opts: HelpOptions): void {
  registry.register('help.getConfig', (ctx) => configOf(ctx, opts));
  registry.register('help.getNearestDc', (ctx) => ({
    _: 'nearestDc' as const,
    country: opts.country,
    thisDc: ctx.dcId,
    nearestDc: opts.nearestDc ?? ctx.dcId,
  }));
}
