/**
 * What each kind of notice says: a title, the risk and the fix, in Traditional Chinese (Taiwan) and English,
 * plus the columns of the affected-hosts CSV. A topic is chosen by classification.identifier first, then by
 * classification.type, else the generic topic.
 */

export interface Bilingual {
  'zh-TW': string;
  en: string;
}

/** A CSV column: an event field (`source.ip`, `extra.tag`…) or a sighting property. */
export type NoticeColumnSource =
  | { field: string }
  | { sighting: 'first_seen' | 'last_seen' | 'count' | 'key' };

export interface NoticeColumn {
  header: string;
  from: NoticeColumnSource;
}

export interface NoticeTopic {
  id: string;
  identifiers: readonly string[];
  types: readonly string[];
  title: Bilingual;
  risk: Bilingual;
  fix: Bilingual;
  columns: readonly NoticeColumn[];
}

const f = (header: string, field: string): NoticeColumn => ({ header, from: { field } });
const FIRST = { header: 'first_seen', from: { sighting: 'first_seen' } } as const;
const LAST = { header: 'last_seen', from: { sighting: 'last_seen' } } as const;
const COUNT = { header: 'sightings', from: { sighting: 'count' } } as const;

const HOST = [f('ip', 'source.ip'), f('port', 'source.port'), f('asn', 'source.asn'), f('hostname', 'source.reverse_dns')];
const TAIL = [f('type', 'classification.identifier'), f('tag', 'extra.tag'), FIRST, LAST, COUNT];
const SERVICE_COLUMNS = [...HOST, f('transport', 'protocol.transport'), f('application', 'protocol.application'), ...TAIL];
const URL_COLUMNS = [f('url', 'source.url'), f('fqdn', 'source.fqdn'), f('ip', 'source.ip'), f('asn', 'source.asn')];

export const NOTICE_TOPICS: readonly NoticeTopic[] = [
  {
    id: 'open-resolver',
    identifiers: ['dns-open-resolver'],
    types: [],
    title: { 'zh-TW': '開放式 DNS 遞迴解析服務', en: 'Open DNS resolver' },
    risk: {
      'zh-TW':
        '這些主機對網際網路上任何人提供 DNS 遞迴查詢。攻擊者可偽造來源位址，利用它們發動 DNS 反射放大攻擊，使您的頻寬被耗用並成為攻擊他人的工具；開放的解析服務也較易遭受快取下毒。',
      en:
        'These hosts answer recursive DNS queries from anyone on the Internet. Attackers spoof source addresses to use them in DNS amplification attacks, burning your bandwidth and making you part of attacks on others; open resolvers are also easier targets for cache poisoning.',
    },
    fix: {
      'zh-TW':
        '將遞迴查詢限制於貴單位自有網段（例如 BIND 的 allow-recursion、Windows DNS 的遞迴設定），或於防火牆阻擋外部對 UDP/TCP 53 埠的存取；若主機僅需作為權威 DNS，請關閉遞迴功能。若非刻意提供 DNS 服務（例如家用路由器），請關閉 WAN 端的 DNS 服務並更新韌體。',
      en:
        'Restrict recursion to your own networks (e.g. BIND allow-recursion, Windows DNS recursion settings) or block UDP/TCP port 53 from outside at the firewall; an authoritative-only server should have recursion disabled. If the host is not meant to serve DNS (e.g. a home router), disable DNS on its WAN side and update its firmware.',
    },
    columns: [...HOST, f('dns_version', 'extra.dns_version'), f('min_amplification', 'extra.min_amplification'), ...TAIL],
  },
  {
    id: 'ddos-amplifier',
    identifiers: [],
    types: ['ddos-amplifier'],
    title: { 'zh-TW': '可被濫用於 DDoS 反射放大攻擊的服務', en: 'Service usable for DDoS amplification' },
    risk: {
      'zh-TW':
        '這些主機在網際網路上開放以 UDP 回應的服務（如 NTP、SNMP、SSDP、Memcached、CLDAP、NetBIOS），回應遠大於請求。攻擊者偽造來源位址即可利用它們放大流量攻擊第三方，同時耗用您的頻寬，部分服務亦會洩漏設備資訊。',
      en:
        'These hosts expose UDP services (such as NTP, SNMP, SSDP, Memcached, CLDAP, NetBIOS) whose answers are much larger than the questions. With spoofed source addresses, attackers use them to amplify floods against third parties while using up your bandwidth; some of these services also leak device information.',
    },
    fix: {
      'zh-TW':
        '若不需要該服務請關閉；若需要，請以防火牆限制僅內部或特定位址可存取，並依廠商建議調整設定（例如 NTP 停用 monlist、SNMP 更改預設 community 並改用 SNMPv3、Memcached 關閉 UDP）。',
      en:
        'Disable the service if it is not needed; otherwise allow only internal or specific addresses at the firewall and harden it as the vendor advises (e.g. disable NTP monlist, replace default SNMP communities and move to SNMPv3, turn off UDP in Memcached).',
    },
    columns: SERVICE_COLUMNS,
  },
  {
    id: 'exposed-rdp',
    identifiers: ['accessible-rdp'],
    types: [],
    title: { 'zh-TW': '遠端桌面 (RDP) 服務暴露於網際網路', en: 'Remote Desktop (RDP) exposed to the Internet' },
    risk: {
      'zh-TW':
        '直接開放於網際網路的遠端桌面服務持續遭受密碼暴力破解與撞庫攻擊，且曾出現可遠端執行程式碼的重大漏洞（如 BlueKeep），是勒索軟體入侵的主要途徑之一。',
      en:
        'Remote Desktop reachable from the Internet is under constant password brute-force and credential-stuffing attack and has had remotely exploitable flaws (such as BlueKeep); it is one of the main ways ransomware gets in.',
    },
    fix: {
      'zh-TW':
        '勿將 RDP 直接開放於網際網路：改經由 VPN 或遠端桌面閘道存取，並啟用多因子驗證；以防火牆限制來源位址、啟用網路層級驗證 (NLA)、安裝最新安全更新、停用不必要帳號並使用強密碼，同時檢查登入紀錄是否有異常。',
      en:
        'Do not expose RDP directly: reach it through a VPN or an RD Gateway with multi-factor authentication; restrict source addresses at the firewall, require Network Level Authentication, install current security updates, remove unneeded accounts, use strong passwords, and review logon logs for anything unusual.',
    },
    columns: [...HOST, f('rdp_protocol', 'extra.rdp_protocol'), f('subject_common_name', 'extra.subject_common_name'), ...TAIL],
  },
  {
    id: 'exposed-smb',
    identifiers: ['accessible-smb'],
    types: [],
    title: { 'zh-TW': '檔案分享服務 (SMB) 暴露於網際網路', en: 'File sharing (SMB) exposed to the Internet' },
    risk: {
      'zh-TW':
        'SMB 不應開放於網際網路。它曾被 EternalBlue 等漏洞大規模利用（WannaCry、NotPetya），亦可能遭暴力破解帳號或存取到共用資料夾中的敏感資料。',
      en:
        'SMB should never be reachable from the Internet. It was exploited at scale through flaws such as EternalBlue (WannaCry, NotPetya), and exposes accounts to brute force and shared folders to data theft.',
    },
    fix: {
      'zh-TW':
        '於邊界防火牆阻擋 TCP 445 與 139 埠（以及 UDP 137/138）；停用 SMBv1；安裝最新安全更新；若需遠端存取檔案，請經由 VPN。',
      en:
        'Block TCP ports 445 and 139 (and UDP 137/138) at the perimeter firewall; disable SMBv1; install current security updates; use a VPN when files must be reached remotely.',
    },
    columns: [...HOST, f('smb_version', 'extra.smb_version_string'), f('smbv1_support', 'extra.smbv1_support'), ...TAIL],
  },
  {
    id: 'exposed-telnet',
    identifiers: ['accessible-telnet'],
    types: [],
    title: { 'zh-TW': 'Telnet 服務暴露於網際網路', en: 'Telnet exposed to the Internet' },
    risk: {
      'zh-TW':
        'Telnet 以明文傳送帳號密碼，且常見於使用預設密碼的路由器、攝影機等設備，是 Mirai 等殭屍網路感染設備的主要管道。',
      en:
        'Telnet sends credentials in clear text and is typically found on routers, cameras and other devices with default passwords — the main way botnets such as Mirai take them over.',
    },
    fix: {
      'zh-TW': '關閉 Telnet 服務，改用 SSH 並採用金鑰驗證；更改所有預設密碼；更新設備韌體；若設備不需對外提供管理介面，請以防火牆阻擋 TCP 23/2323 埠。',
      en:
        'Turn Telnet off and use SSH with key authentication instead; change every default password; update the device firmware; block TCP ports 23/2323 at the firewall when the device need not be managed from outside.',
    },
    columns: [...HOST, f('banner', 'extra.banner'), ...TAIL],
  },
  {
    id: 'exposed-database',
    identifiers: [
      'open-mongodb',
      'open-elasticsearch',
      'open-redis',
      'open-mysql',
      'open-postgres',
      'open-postgresql',
      'open-mssql',
      'open-couchdb',
      'open-cassandra',
      'open-db2',
      'open-influxdb',
      'open-riak',
    ],
    types: [],
    title: { 'zh-TW': '資料庫服務暴露於網際網路', en: 'Database reachable from the Internet' },
    risk: {
      'zh-TW':
        '可從網際網路連線的資料庫（MongoDB、Elasticsearch、Redis、MySQL 等）常因未啟用驗證而被整批下載或刪除並勒索贖金；部分服務（如 Redis）更可被用來取得主機控制權，並可能造成個資外洩。',
      en:
        'Databases reachable from the Internet (MongoDB, Elasticsearch, Redis, MySQL and others) are routinely copied or wiped and held to ransom when authentication is off; some (such as Redis) can be used to take over the host, and personal data may be exposed.',
    },
    fix: {
      'zh-TW':
        '將資料庫僅綁定於內部介面或 localhost，並以防火牆阻擋外部存取；啟用身分驗證與最小權限帳號、啟用 TLS、更新至支援版本；檢查是否已有資料遭存取或刪除，必要時依個資法規定辦理通報。',
      en:
        'Bind the database to internal interfaces or localhost only and block outside access at the firewall; enable authentication with least-privilege accounts, enable TLS, upgrade to a supported version; check whether data has already been read or deleted and, where personal data is involved, meet your breach-notification duties.',
    },
    columns: [...HOST, f('application', 'protocol.application'), f('version', 'extra.version'), ...TAIL],
  },
  {
    id: 'exposed-device',
    identifiers: ['accessible-ics', 'exposed-iot', 'open-ipmi', 'open-ipp', 'open-mqtt', 'accessible-coap', 'accessible-ubiquiti'],
    types: [],
    title: { 'zh-TW': '物聯網、工控或設備管理介面暴露於網際網路', en: 'IoT, industrial control or device management interface exposed' },
    risk: {
      'zh-TW':
        '工控協定（Modbus、S7、BACnet 等）、IPMI/BMC、印表機、攝影機與其他物聯網設備的介面多半缺乏驗證或使用預設密碼。暴露於網際網路時，攻擊者可能竄改設定、中斷實體作業流程，或將設備納入殭屍網路。',
      en:
        'Industrial protocols (Modbus, S7, BACnet…), IPMI/BMC, printers, cameras and other IoT interfaces often have no authentication or default passwords. Exposed to the Internet, they let attackers change settings, disrupt physical processes or recruit the device into a botnet.',
    },
    fix: {
      'zh-TW':
        '將設備移出網際網路可直接存取的範圍，改經由 VPN 並與辦公網路區隔；更改預設帳號密碼、更新韌體；確認設備是否有必要連網，並檢查設定與紀錄是否遭異動。',
      en:
        'Take the device off the directly reachable Internet, reach it through a VPN, and segment it from office networks; change default credentials and update the firmware; question whether it needs to be online at all, and check its configuration and logs for changes.',
    },
    columns: [...HOST, f('application', 'protocol.application'), f('device_vendor', 'extra.device_vendor'), f('device_model', 'extra.device_model'), f('product', 'extra.product'), ...TAIL],
  },
  {
    id: 'vulnerable-web',
    identifiers: ['accessible-http', 'vulnerable-http', 'vulnerable-exchange-server', 'exchange-server-webshell'],
    types: [],
    title: { 'zh-TW': '存在弱點或不當暴露的網站服務', en: 'Vulnerable or exposed web service' },
    risk: {
      'zh-TW':
        '這些網站服務被觀察到使用有已知漏洞的軟體，或對外暴露管理介面。攻擊者可利用公開的攻擊程式入侵主機、植入後門或竊取資料。',
      en:
        'These web services were seen running software with known vulnerabilities or exposing administrative interfaces. Attackers use public exploits to break in, plant web shells or steal data.',
    },
    fix: {
      'zh-TW':
        '依「tag」欄位所列漏洞（CVE）套用廠商修補程式或升級至支援版本；管理介面僅限內部或 VPN 存取；檢查主機是否已有入侵跡象（未知帳號、網頁後門、異常排程）。',
      en:
        'Apply the vendor patches for the vulnerabilities named in the "tag" column (CVEs) or upgrade to a supported version; allow administrative interfaces only from inside or through a VPN; check the host for signs of compromise (unknown accounts, web shells, unusual scheduled tasks).',
    },
    columns: [...HOST, f('server', 'extra.server'), f('http_code', 'extra.http_code'), ...TAIL],
  },
  {
    id: 'weak-tls',
    identifiers: ['accessible-ssl', 'ssl-poodle', 'ssl-freak'],
    types: ['weak-crypto'],
    title: { 'zh-TW': 'TLS/SSL 加密設定不安全', en: 'Weak TLS/SSL configuration' },
    risk: {
      'zh-TW':
        '這些服務支援過時的通訊協定或弱加密演算法（如 SSLv3、匯出等級加密），可能遭受 POODLE、FREAK 等攻擊，使傳輸中的資料被解密或竄改；過期或自簽憑證也會讓使用者習慣忽略警告。',
      en:
        'These services accept obsolete protocols or weak ciphers (such as SSLv3 or export-grade ciphers), open to attacks like POODLE and FREAK that decrypt or alter traffic; expired or self-signed certificates also teach users to click through warnings.',
    },
    fix: {
      'zh-TW': '停用 SSLv2/SSLv3 及 TLS 1.0/1.1，僅允許 TLS 1.2 以上與強加密套件；更新伺服器軟體與函式庫；使用有效且由受信任機構簽發的憑證。',
      en:
        'Disable SSLv2/SSLv3 and TLS 1.0/1.1, allow only TLS 1.2 or later with strong cipher suites; update the server software and TLS library; use a valid certificate from a trusted authority.',
    },
    columns: [...HOST, f('ssl_version', 'extra.ssl_version'), f('cipher_suite', 'extra.cipher_suite'), f('subject_common_name', 'extra.subject_common_name'), ...TAIL],
  },
  {
    id: 'exposed-service',
    identifiers: [],
    types: ['potentially-unwanted-accessible'],
    title: { 'zh-TW': '不應對外開放的服務暴露於網際網路', en: 'Service that should not be reachable from the Internet' },
    risk: {
      'zh-TW': '這些服務（如 SSH、VNC、FTP、rsync、容器或叢集管理 API）對網際網路開放，會遭受暴力破解及漏洞攻擊，未設驗證時更可被直接取得資料或主機控制權。',
      en:
        'These services (such as SSH, VNC, FTP, rsync, container or cluster management APIs) are open to the Internet, where they face brute force and exploits; without authentication they give away data or control of the host outright.',
    },
    fix: {
      'zh-TW': '確認服務是否需要對外開放；不需要者請關閉或以防火牆限制來源，需要者請啟用強身分驗證（金鑰、多因子）、更新軟體並監控登入紀錄。',
      en:
        'Decide whether the service must be public; if not, turn it off or restrict sources at the firewall; if so, require strong authentication (keys, multi-factor), keep the software updated and watch its logon logs.',
    },
    columns: SERVICE_COLUMNS,
  },
  {
    id: 'infected-host',
    identifiers: [],
    types: ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
    title: { 'zh-TW': '主機疑似遭惡意程式感染（殭屍網路）', en: 'Infected host (botnet drone)' },
    risk: {
      'zh-TW':
        '這些位址上的主機被觀察到連線至殭屍網路的控制伺服器或沉洞 (sinkhole)，表示其上可能執行惡意程式，可被遠端操控、竊取帳密資料，或被用於攻擊他人。',
      en:
        'Hosts at these addresses were seen contacting botnet command servers or sinkholes: they are likely running malware that can be controlled remotely, steal credentials, or be used to attack others.',
    },
    fix: {
      'zh-TW':
        '依時間、來源埠與目的位址（若位址為 NAT 出口請比對 NAT 紀錄）找出實際主機，以防毒或端點偵測工具清除，必要時重新安裝；更改該主機上使用過的密碼；檢查同網段其他主機；於防火牆阻擋列出的目的位址。',
      en:
        'Find the actual machine from the time, source port and destination (for a NAT address, use your NAT logs); clean it with anti-malware or EDR tools, or reinstall it; change passwords used on it; check its neighbours; block the listed destinations at the firewall.',
    },
    columns: [
      f('ip', 'source.ip'),
      f('src_port', 'source.port'),
      f('asn', 'source.asn'),
      f('malware', 'malware.name'),
      f('dst_ip', 'destination.ip'),
      f('dst_port', 'destination.port'),
      f('dst_host', 'destination.fqdn'),
      f('transport', 'protocol.transport'),
      FIRST,
      LAST,
      COUNT,
    ],
  },
  {
    id: 'compromised-website',
    identifiers: ['compromised-website'],
    types: ['system-compromise', 'application-compromise', 'privileged-account-compromise', 'unprivileged-account-compromise'],
    title: { 'zh-TW': '網站或主機遭入侵', en: 'Compromised website or host' },
    risk: {
      'zh-TW':
        '這些網站或主機已遭入侵（例如被植入網頁後門、惡意轉址或釣魚頁面）。攻擊者可藉此竊取資料、攻擊網站訪客，或以貴單位名義散布惡意內容。',
      en:
        'These websites or hosts have been compromised (for example with web shells, malicious redirects or phishing pages). Attackers can steal data, attack visitors, or spread malicious content in your name.',
    },
    fix: {
      'zh-TW':
        '保留紀錄與證據後，將網站下線或自乾淨備份還原；移除後門與未知帳號；更新 CMS、外掛與伺服器軟體；更換所有管理密碼與金鑰；檢視存取紀錄以找出入侵途徑，如涉及個資請依規定通報。',
      en:
        'Preserve logs and evidence, then take the site offline or restore it from a clean backup; remove back doors and unknown accounts; update the CMS, plug-ins and server software; change all administrative passwords and keys; review access logs to find the way in, and report personal-data exposure where required.',
    },
    columns: [...URL_COLUMNS, f('category', 'extra.category'), f('system', 'extra.system'), f('redirect_target', 'extra.redirect_target'), FIRST, LAST, COUNT],
  },
  {
    id: 'defacement',
    identifiers: ['defacement'],
    types: ['unauthorised-information-modification'],
    title: { 'zh-TW': '網頁遭置換（竄改）', en: 'Website defacement' },
    risk: {
      'zh-TW': '這些網頁內容已遭他人竄改，代表攻擊者取得了網站的寫入權限，可能同時植入後門或惡意程式，並損害貴單位聲譽。',
      en:
        'The content of these pages was replaced by someone else: the attacker gained write access to the site, may have planted back doors or malware as well, and harms your reputation.',
    },
    fix: {
      'zh-TW':
        '保留證據（含 mirror 欄位之頁面副本）後，自乾淨備份還原網站；找出並修補入侵途徑（常見為未更新的 CMS 或外掛、弱密碼）；更換管理密碼；確認沒有殘留的後門或其他遭竄改的頁面。',
      en:
        'Keep the evidence (including the copy in the "mirror" column), then restore the site from a clean backup; find and close the way in (often an outdated CMS or plug-in, or a weak password); change administrative passwords; make sure no back door or other altered page remains.',
    },
    columns: [...URL_COLUMNS, f('defacer', 'extra.defacer'), f('mirror', 'extra.mirror'), FIRST, LAST, COUNT],
  },
  {
    id: 'phishing',
    identifiers: [],
    types: ['phishing'],
    title: { 'zh-TW': '網路釣魚網站', en: 'Phishing site' },
    risk: {
      'zh-TW': '這些網址提供偽冒的登入或付款頁面，用以騙取帳號密碼、信用卡或個人資料。網站常是因遭入侵而被放置釣魚頁面，貴單位的主機可能已遭他人控制。',
      en:
        'These URLs serve fake login or payment pages to steal passwords, card numbers or personal data. Such pages are usually placed on hacked sites, so your server may be under someone else\u2019s control.',
    },
    fix: {
      'zh-TW': '立即移除釣魚頁面並保留相關檔案與紀錄作為證據；檢查並修補入侵途徑、更換管理密碼；確認是否還有其他惡意檔案。若網址由使用者自行架設，請依服務條款處理。',
      en:
        'Remove the phishing pages now, keeping the files and logs as evidence; find and close the way in and change administrative passwords; look for other malicious files. If a customer set the page up, act under your terms of service.',
    },
    columns: [...URL_COLUMNS, f('target', 'extra.target'), FIRST, LAST, COUNT],
  },
  {
    id: 'blocklisted',
    identifiers: [],
    types: ['blacklist'],
    title: { 'zh-TW': '位址或網段被列入黑名單', en: 'Address or network on a blocklist' },
    risk: {
      'zh-TW': '這些位址或網段被列入信譽黑名單（如 Spamhaus DROP），表示曾被用於垃圾郵件、網段劫持或其他惡意活動；許多網路會因此拒絕其流量。',
      en:
        'These addresses or networks are on a reputation blocklist (such as Spamhaus DROP): they were used for spam, route hijacking or other malicious activity, and many networks will refuse their traffic.',
    },
    fix: {
      'zh-TW': '確認網段確實由貴單位使用與宣告（是否遭路由劫持），找出並處理濫用來源；完成改善後依黑名單提供者的程序申請移除。',
      en:
        'Confirm that the network is really used and announced by you (or whether its routes were hijacked), find and stop the abuse, then ask the list operator for removal through its procedure.',
    },
    columns: [f('network', 'source.network'), f('ip', 'source.ip'), f('reference', 'extra.sblid'), f('list', 'classification.identifier'), FIRST, LAST, COUNT],
  },
  {
    id: 'attacking-host',
    identifiers: [],
    types: ['brute-force', 'scanner', 'exploit', 'ids-alert', 'spam', 'ddos', 'dos'],
    title: { 'zh-TW': '主機對外發動攻擊（暴力破解、掃描、垃圾郵件）', en: 'Host attacking others (brute force, scanning, spam)' },
    risk: {
      'zh-TW': '這些位址被觀察到對其他系統進行暴力破解、掃描或攻擊，通常代表主機已遭入侵並被他人操控。',
      en:
        'These addresses were seen brute-forcing, scanning or attacking other systems, which usually means the host has been compromised and is controlled by someone else.',
    },
    fix: {
      'zh-TW': '找出實際主機（NAT 環境請比對紀錄），檢查並清除惡意程式或未授權帳號，更換密碼並修補漏洞；必要時暫時隔離。',
      en:
        'Find the actual machine (check NAT logs where needed), look for and remove malware or unauthorised accounts, change passwords and patch; isolate it in the meantime if needed.',
    },
    columns: [f('ip', 'source.ip'), f('port', 'source.port'), f('asn', 'source.asn'), f('dst_port', 'destination.port'), f('transport', 'protocol.transport'), ...TAIL],
  },
  {
    id: 'ip-spoofing',
    identifiers: ['ip-spoofer'],
    types: ['misconfiguration'],
    title: { 'zh-TW': '網路未過濾偽造來源位址（未實施 BCP 38）', en: 'Network lets spoofed source addresses out (no BCP 38 filtering)' },
    risk: {
      'zh-TW': '從這些網路可以送出偽造來源 IP 位址的封包。這正是 DDoS 反射放大攻擊所依賴的條件，使攻擊難以追查，且貴單位的網路可能被用來攻擊他人。',
      en:
        'Packets with forged source addresses can leave these networks. That is exactly what reflection and amplification DDoS attacks rely on; it makes attacks hard to trace and lets your network be used against others.',
    },
    fix: {
      'zh-TW': '於網路邊界實施來源位址驗證（BCP 38 / BCP 84）：僅允許來源屬於貴單位網段的封包送出，例如啟用 uRPF 或出口 ACL；請聯絡上游 ISP 協助確認。',
      en:
        'Apply source address validation at your edge (BCP 38 / BCP 84): only let out packets whose source is in your own prefixes, e.g. with uRPF or egress ACLs; ask your upstream provider to help verify.',
    },
    columns: [f('ip', 'source.ip'), f('asn', 'source.asn'), f('network', 'source.network'), ...TAIL],
  },
  {
    id: 'other',
    identifiers: [],
    types: [],
    title: { 'zh-TW': '合作單位通報之資安事件', en: 'Security issue reported by a partner' },
    risk: {
      'zh-TW': '合作單位或情資來源觀察到以下與貴單位有關的資安問題，詳細類型請見附件中的 type 欄位。',
      en: 'Partners or intelligence sources observed the following security issues involving your organisation; see the "type" column of the attachment for each one.',
    },
    fix: {
      'zh-TW': '請檢查列出的主機或網址，確認問題並採取必要的修補或清除措施；如需協助請回覆本通知。',
      en: 'Please check the listed hosts or URLs, confirm the issue, and fix or clean up as needed; reply to this notice if you need help.',
    },
    columns: [f('ip', 'source.ip'), f('port', 'source.port'), f('url', 'source.url'), f('fqdn', 'source.fqdn'), f('network', 'source.network'), f('class', 'classification.type'), ...TAIL],
  },
];

const BY_IDENTIFIER = new Map<string, NoticeTopic>();
const BY_TYPE = new Map<string, NoticeTopic>();
for (const t of NOTICE_TOPICS) {
  for (const i of t.identifiers) BY_IDENTIFIER.set(i, t);
  for (const ty of t.types) BY_TYPE.set(ty, t);
}
const OTHER = NOTICE_TOPICS.find((t) => t.id === 'other')!;

/** The notice topic for a classification. */
export function topicFor(type: string, identifier: string | undefined): NoticeTopic {
  return (identifier !== undefined ? BY_IDENTIFIER.get(identifier) : undefined) ?? BY_TYPE.get(type) ?? OTHER;
}

export function topicById(id: string): NoticeTopic | undefined {
  return NOTICE_TOPICS.find((t) => t.id === id);
}
