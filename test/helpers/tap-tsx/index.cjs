// A tap plugin that loads TypeScript test files through tsx alone. It stands in for tap's default
// @tapjs/typescript plugin, which puts a ts-node loader in every test process on top of tsx (about
// 1.3 s CPU a file). Tests only need transpiling; `npm run typecheck` checks the types.
// (@tapjs/tsx does the same but is not in the offline package cache.)
exports.importLoader = 'tsx';
exports.loader = 'tsx/esm';
exports.testFileExtensions = ['ts'];
