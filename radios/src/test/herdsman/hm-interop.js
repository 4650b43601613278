// Drives the ZNP simulator with the real zigbee-herdsman zstack adapter (the one Zigbee2MQTT uses)
// over tcp://127.0.0.1:PORT. Used by HerdsmanInteropTest when ZH_HERDSMAN_DIR points at a directory
// with node_modules/zigbee-herdsman (e.g. `npm install zigbee-herdsman@2.1.9`).
// usage: node hm-interop.js PORT DATADIR DEVICES
const {Controller} = require('zigbee-herdsman');
const fs = require('fs');
const major = parseInt(require('zigbee-herdsman/package.json').version, 10);
const port = process.argv[2];
const dir = process.argv[3];
const want = parseInt(process.argv[4] || '8');
fs.mkdirSync(dir, {recursive: true});
const c = new Controller({
  network: {panID: 0x1a62, extendedPanID: [0xdd,0xdd,0xdd,0xdd,0xdd,0xdd,0xdd,0xdd], channelList: [15],
            networkKey: [1,3,5,7,9,11,13,15,0,2,4,6,8,10,12,13]},
  serialPort: {path: `tcp://127.0.0.1:${port}`, adapter: 'zstack'},
  databasePath: `${dir}/database.db`, databaseBackupPath: `${dir}/database.db.backup`,
  backupPath: `${dir}/coordinator_backup.json`,
  adapter: {disableLED: false, transmitPower: 5},
  acceptJoiningDeviceHandler: async () => true,
});
const log = (...a) => console.log(new Date().toISOString(), ...a);
const interviewed = new Set();
c.on('deviceJoined', e => log('joined', e.device.ieeeAddr));
c.on('deviceInterview', e => { log('interview', e.status, e.device.ieeeAddr, e.device.modelID || ''); if (e.status === 'successful') interviewed.add(e.device.ieeeAddr); });
c.on('message', e => log('message', e.type, e.device.ieeeAddr, e.cluster, JSON.stringify(e.data)));
c.on('deviceLeave', e => log('leave', e.ieeeAddr));
(async () => {
  const t0 = Date.now();
  const r = await c.start();
  log('herdsman', major, 'started', r, JSON.stringify(await c.getCoordinatorVersion()), JSON.stringify(await c.getNetworkParameters()));
  await (major >= 3 ? c.permitJoin(120) : c.permitJoin(true, undefined, 120));
  while (interviewed.size < want && c.getDevices().filter(d => d.interviewCompleted).length < want + 1 && Date.now() - t0 < 150000) await new Promise(r => setTimeout(r, 500));
  log('interviewed', interviewed.size);
  await (major >= 3 ? c.permitJoin(0) : c.permitJoin(false));
  const bulb = c.getDevices().find(d => d.modelID === 'TRADFRI bulb E27 CWS opal 600lm');
  if (bulb) {
    const ep = bulb.getEndpoint(1);
    await ep.command('genOnOff', 'on', {});
    const a = await ep.read('genOnOff', ['onOff']);
    log('bulb onOff after on', JSON.stringify(a));
    await ep.command('lightingColorCtrl', 'moveToColor', {colorx: 20000, colory: 16000, transtime: 0});
    log('bulb color', JSON.stringify(await ep.read('lightingColorCtrl', ['currentX', 'currentY', 'colorMode'])));
    await ep.bind('genOnOff', c.getDevicesByType('Coordinator')[0].getEndpoint(1));
    await ep.configureReporting('genLevelCtrl', [{attribute: 'currentLevel', minimumReportInterval: 1, maximumReportInterval: 5, reportableChange: 1}]);
    log('configured');
    const g = c.getGroupByID(7) || c.createGroup(7);
    await ep.addToGroup(g);
    await g.command('genOnOff', 'off', {});
    log('group off sent');
    log('lqi', JSON.stringify(await c.getDevicesByType('Coordinator')[0].lqi()));
  }
  await new Promise(r => setTimeout(r, 7000));
  log('backup', fs.existsSync(`${dir}/coordinator_backup.json`));
  await c.backup();
  log('backup done', fs.readFileSync(`${dir}/coordinator_backup.json`, 'utf8').slice(0, 300));
  await c.stop();
  log('stopped OK');
  process.exit(0);
})().catch(e => { log('FAILED', e && e.stack || e); process.exit(1); });
