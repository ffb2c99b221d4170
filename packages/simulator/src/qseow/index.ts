import type { SimPlugin } from '../plugins.js';

/** QSEoW hosts (QRS, hds, virtual proxies) plug in here. Owned by the QSEoW module. */
export const qseowPlugin: SimPlugin = {
  name: 'qseow',
  setup() {
    // The QSEoW module reads host.stateFile.qseow and calls host.registerHostHandler(...) per host.
  },
};
