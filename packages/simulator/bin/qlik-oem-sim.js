#!/usr/bin/env node
// A committed launcher: npm links a workspace's bin at install time, before dist/ is built.
import '../dist/cli.js';
