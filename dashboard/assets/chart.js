// drawChart draws payments per bucket (sent up, received down) on a canvas, no library.
export function drawChart(canvas, buckets) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, mid = h / 2;
  ctx.clearRect(0, 0, w, h);
  const peak = Math.max(1, ...buckets.map((b) => Math.max(b.sent, b.received)));
  const bw = w / Math.max(1, buckets.length);
  ctx.fillStyle = "#2f6fdf";
  buckets.forEach((b, i) => {
    const bh = (b.sent / peak) * (mid - 12);
    ctx.fillRect(i * bw + 1, mid - bh, Math.max(1, bw - 2), bh);
  });
  ctx.fillStyle = "#1f8a4c";
  buckets.forEach((b, i) => {
    const bh = (b.received / peak) * (mid - 12);
    ctx.fillRect(i * bw + 1, mid, Math.max(1, bw - 2), bh);
  });
  ctx.strokeStyle = "#999";
  ctx.beginPath(); ctx.moveTo(0, mid); ctx.lineTo(w, mid); ctx.stroke();
  ctx.fillStyle = "#555";
  ctx.font = "11px sans-serif";
  ctx.fillText("sent (peak " + peak + "/bucket)", 4, 11);
  ctx.fillText("received", 4, h - 3);
}
