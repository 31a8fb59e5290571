import { LAYER, type tl } from '@telegram-mt/tl';

/** The device fields of initConnection (core.telegram.org/method/initConnection). */
export interface DeviceInfo {
  deviceModel: string;
  systemVersion: string;
  appVersion: string;
  systemLangCode: string;
  langPack: string;
  langCode: string;
}

export const defaultDeviceInfo: DeviceInfo = {
  deviceModel: 'Node.js',
  systemVersion: `${process.platform} ${process.arch}`,
  appVersion: '0.1.0',
  systemLangCode: 'en',
  langPack: '',
  langCode: 'en',
};

/**
 * `request` wrapped as the first call of a connection must be:
 * invokeWithLayer(layer, initConnection(api_id, device…, query)). Its
 * result is the inner request's.
 */
export function wrapInitConnection(request: tl.TlMethod, apiId: number, device: DeviceInfo): tl.TlMethod {
  return {
    _: 'invokeWithLayer',
    layer: LAYER,
    query: {
      _: 'initConnection',
      apiId,
      deviceModel: device.deviceModel,
      systemVersion: device.systemVersion,
      appVersion: device.appVersion,
      systemLangCode: device.systemLangCode,
      langPack: device.langPack,
      langCode: device.langCode,
      query: request,
    },
  } as unknown as tl.TlMethod;
}
