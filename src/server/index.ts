/** The gateway's public face: start it, load its config, build the demo config, serve a folder. */
export { startGateway, type Gateway, type GatewayOptions } from './gateway';
export { demoConfig, DemoAccount } from './demoConfig';
export { hashPassword, isLoopbackHost } from './session/index';
export { loadConfig, resolveConfigPath, type ConfigLoadResult } from './config';
export { createFolderSite, type FolderSite, type FolderRequest } from './folderSite/index';
export { boundaryOf, parseMultipart, type ParsedPart } from './folderSite/multipart';
