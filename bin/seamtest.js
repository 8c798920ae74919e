#!/usr/bin/env node
// The seamtest executable: a thin wrapper that runs the compiled CLI.
import { main } from '../dist/cli/bin.js';

main();
