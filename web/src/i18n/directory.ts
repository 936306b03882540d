import { addConsoleCatalogue } from './features.js';
import en from './directory.en.json';
import zhTW from './directory.zh-TW.json';

// Both catalogues must carry the same keys: these assignments fail to typecheck otherwise.
const _enHasAllKeys: typeof zhTW = en;
const _zhHasAllKeys: typeof en = zhTW;

addConsoleCatalogue('directory', zhTW, en);
