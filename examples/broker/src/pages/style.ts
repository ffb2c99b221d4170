// The pages' shared look: inline CSS, no external asset.
export const PAGE_STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#1f2933}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e4e7eb;padding:.45rem .6rem;text-align:left}
th{background:#f5f7fa}button{font:inherit;padding:.45rem 1rem;border-radius:4px;border:1px solid #0b7285;background:#0b7285;color:#fff;cursor:pointer}
button:disabled{opacity:.5;cursor:default}.state-provisioned,.state-unchanged{color:#2b8a3e}.state-failed,.state-aborted{color:#c92a2a}
.state-running{color:#e67700}.card{border:1px solid #e4e7eb;border-radius:6px;padding:1rem;margin-top:1rem}.muted{color:#7b8794}
select{font:inherit;padding:.35rem}
`;

export function page(title: string, body: string, script: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<link rel="icon" href="data:,"><title>${title}</title><style>${PAGE_STYLE}</style></head><body>${body}<script type="module">${script}</script></body></html>\n`
  );
}
