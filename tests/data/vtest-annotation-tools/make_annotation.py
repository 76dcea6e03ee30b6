# make_annotation.py OUT.csv BOOTALL.txt
# Builds tests/data/vtest-annotation.csv from the bootstrap tracks (bootall.txt: YOLOX-nano >= 0.4
# + greedy IoU/centre tracker) and the corrections found by eye.
import collections, sys
boot = collections.defaultdict(dict)
for l in open(sys.argv[2]):
    f, i, x, y, w, h = map(float, l.split()); boot[int(i)][int(f)] = (x, y, w, h)

def bootbox(i, f):
    t = boot[i]
    if f in t: return t[f]
    fs = sorted(t)
    a = max((g for g in fs if g < f), default=None); c = min((g for g in fs if g > f), default=None)
    if a is None or c is None: return None
    w = (f - a) / (c - a)
    return tuple(t[a][k] * (1 - w) + t[c][k] * w for k in range(4))

def B(i, f0, f1): return ('boot', i, f0, f1)
def M(f, x, y, w, h): return ('key', f, (x, y, w, h))
def SPLIT(i, f0, f1, side): return ('split', i, f0, f1, side)

people = {
    # the three people meeting at the signpost (frames 0-150), identities checked on zoomed crops every 5 frames
    'A grey jacket, dark trousers (meets B and C at the sign, stands left of it, leaves right)': [
        B(1, 0, 22), M(25, 375, 185, 36, 88), M(30, 378, 184, 32, 86), M(35, 393, 180, 28, 86),
        B(2, 40, 45), M(50, 403, 174, 26, 76), M(55, 400, 176, 23, 82), B(2, 60, 63),
        M(65, 398, 178, 24, 82), M(70, 402, 180, 28, 84), M(75, 402, 180, 28, 84), M(80, 403, 180, 28, 82),
        M(85, 405, 180, 23, 82), M(90, 400, 181, 26, 82), M(95, 418, 180, 26, 80), M(100, 430, 178, 22, 80),
        M(105, 430, 178, 22, 80), M(110, 430, 178, 22, 80), M(115, 425, 178, 22, 80), M(120, 416, 180, 24, 80),
        B(8, 125, 211)],
    'B dark jacket, jeans (walks down from the car park, stands at the sign, leaves right at 522)': [
        B(2, 0, 15), M(20, 408, 170, 28, 80), M(25, 395, 178, 30, 84), B(1, 30, 57), M(60, 383, 178, 26, 82),
        B(0, 63, 150), B(9, 155, 522)],
    'C long black coat (from the right to the sign, walks left, back right, leaves right)': [
        B(0, 0, 22), M(25, 422, 215, 34, 88), M(30, 405, 200, 32, 90), M(35, 410, 186, 32, 90), B(0, 40, 50),
        M(55, 405, 175, 25, 80), B(1, 60, 147)],
    'D red/navy jacket, first pass (enters right, stands top right with E, leaves right)': [B(4, 10, 161), B(6, 165, 374)],
    'E blonde, black coat, first pass (with D)': [B(5, 17, 363)],
    'F bald, dark jacket, jeans (enters right, up to the building corner, back down, leaves left)': [
        B(6, 40, 156), B(4, 163, 209), B(14, 215, 394)],
    'G far walker near the building (walks left along the upper path, leaves left)': [B(7, 82, 166), B(11, 167, 173)],
    'L light-blue hooded jacket (enters right, walks left, leaves left)': [
        B(9, 116, 148), M(150, 440, 180, 28, 82), B(0, 155, 189), B(12, 190, 220)],
    'S striped top (enters right, walks left, leaves left)': [B(10, 131, 287)],
    'A again (comes back in at the right edge after 1.4 s out of view, leaves right)': [B(8, 225, 402)],
    'H dark, enters right at 219, to the end': [B(15, 219, 794)],
    'R red jacket, first pass (enters right, walks left, leaves left)': [B(8, 420, 578)],
    'I dark jacket, jeans (enters bottom right at 461, to the end)': [B(17, 461, 794)],
    'J dark (enters right at 503, leaves right)': [B(18, 503, 616)],
    'E again (with D from the bottom right over the grass, to the end)': [
        B(19, 503, 507), SPLIT(19, 508, 530, 'left'), B(19, 534, 794)],
    'D again (with E; merged box 508-530)': [SPLIT(19, 506, 530, 'right'), B(20, 534, 620), B(23, 623, 794)],
    'K dark (enters right at 570, to the end)': [B(21, 570, 794)],
    'R again (comes back in at the left edge)': [B(22, 605, 794)],
    'M blue jacket (enters right, walks left, leaves left)': [B(24, 655, 745)],
    'N dark (enters right at 691, to the end)': [B(25, 691, 794)],
}

out = []
for sid, (name, segs) in enumerate(people.items(), start=1):
    keys = {}
    for s in segs:
        if s[0] == 'key':
            keys[s[1]] = s[2]
        elif s[0] == 'boot':
            _, i, f0, f1 = s
            fs = [f for f in range(f0, f1 + 1) if f % 5 == 0 or f in (f0, f1)]
            for f in fs:
                b = bootbox(i, f)
                if b is None:
                    sys.exit('no boot box %d at %d' % (i, f))
                keys[f] = b
        else:
            _, i, f0, f1, side = s
            for f in [f for f in range(f0, f1 + 1) if f % 5 == 0 or f in (f0, f1)]:
                x, y, w, h = bootbox(i, f)
                keys[f] = (x, y, 0.55 * w, h) if side == 'left' else (x + 0.45 * w, y, 0.55 * w, h)
    fs = sorted(keys)
    for a, c in zip(fs, fs[1:]):
        if c - a > 10:
            sys.exit('%s: gap %d-%d' % (name, a, c))
    out.append((sid, name, [(f, keys[f]) for f in fs]))

with open(sys.argv[1], 'w') as o:
    o.write('# Ground truth for vtest.avi (OpenCV sample, 768x576, 10 fps, 795 frames): every person stretch\n')
    o.write('# (one continuous visibility of one person). Format and how it was made: tests/data/README.md.\n')
    for sid, name, _ in out:
        o.write('# %d: %s\n' % (sid, name))
    o.write('video,768,576,795,10\n')
    for sid, name, ks in out:
        for f, (x, y, w, h) in ks:
            x = max(0.0, x); y = max(0.0, y); w = min(w, 768 - x); h = min(h, 576 - y)
            o.write('%d,%d,%.0f,%.0f,%.0f,%.0f\n' % (sid, f, x, y, w, h))
for sid, name, ks in out:
    print(sid, ks[0][0], ks[-1][0], name[:40])
