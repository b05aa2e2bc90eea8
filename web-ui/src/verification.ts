/** A verification's progress in words and percent, for its bar; null once it ended. */
export function progressOf(v: { state: string; progress: { keysChecked: number; keysEstimated: number; etaSeconds: number | null } }):
    { percent: number; text: string } | null {
  if (v.state !== 'RUNNING') return null;
  const { keysChecked, keysEstimated, etaSeconds } = v.progress;
  const percent = keysEstimated > 0 ? Math.min(100, Math.round((100 * keysChecked) / keysEstimated)) : 0;
  const eta = etaSeconds == null ? '' : etaSeconds < 60 ? `, ~${etaSeconds} s left` : `, ~${Math.round(etaSeconds / 60)} min left`;
  return { percent, text: `${keysChecked.toLocaleString('en')} of ~${keysEstimated.toLocaleString('en')} keys${eta}` };
}
