# bootstrap_tracks.py DETECTIONS.txt MIN_SCORE KEYS_OUT.txt [ALL_OUT.txt]
# Greedy IoU / centre-distance tracker over frametool's YOLOX detections, used only to bootstrap
# the hand annotation (ids were then corrected by eye; see ../README.md).
import sys, math
frames=[]
for line in open(sys.argv[1]):
    f=line.split(); n=int(f[3]); ds=[]
    for i in range(n):
        x,y,w,h,s=map(float,f[4+5*i:9+5*i])
        if s>=float(sys.argv[2]): ds.append((x,y,w,h,s))
    frames.append(ds)
def iou(a,b):
    x1=max(a[0],b[0]);y1=max(a[1],b[1]);x2=min(a[0]+a[2],b[0]+b[2]);y2=min(a[1]+a[3],b[1]+b[3])
    i=max(0,x2-x1)*max(0,y2-y1);u=a[2]*a[3]+b[2]*b[3]-i
    return i/u if u>0 else 0
tracks=[]  # dict id, boxes{frame:box}, vel, last
nid=0
for fi,ds in enumerate(frames):
    cands=[]
    for ti,t in enumerate(tracks):
        if fi-t['last']>25: continue
        lb=t['box'][t['last']]; dt=fi-t['last']
        pb=(lb[0]+t['v'][0]*dt,lb[1]+t['v'][1]*dt,lb[2],lb[3])
        for di,d in enumerate(ds):
            o=iou(pb,d)
            dist=math.hypot(pb[0]+pb[2]/2-d[0]-d[2]/2,pb[1]+pb[3]/2-d[1]-d[3]/2)/max(pb[3],1)
            if o>=0.2 or dist<0.3+0.05*dt:
                cands.append((-(o-dist*0.5)+0.02*dt,ti,di))
    cands.sort(); ut=set(); ud=set()
    for c,ti,di in cands:
        if ti in ut or di in ud: continue
        ut.add(ti);ud.add(di); t=tracks[ti]; lb=t['box'][t['last']]; dt=fi-t['last']; d=ds[di]
        vx=(d[0]+d[2]/2-lb[0]-lb[2]/2)/dt; vy=(d[1]+d[3]/2-lb[1]-lb[3]/2)/dt
        t['v']=(0.7*t['v'][0]+0.3*vx,0.7*t['v'][1]+0.3*vy)
        t['box'][fi]=d[:4]; t['last']=fi
    for di,d in enumerate(ds):
        if di in ud or d[4]<0.5: continue
        tracks.append({'id':nid,'box':{fi:d[:4]},'v':(0,0),'last':fi}); nid+=1
out=open(sys.argv[3],'w')
for t in tracks:
    fs=sorted(t['box'])
    if len(fs)<5: continue
    # boxes at every 10th frame + ends, interpolated
    keys=[fs[0]]+[f for f in range((fs[0]//10+1)*10,fs[-1],10)]+[fs[-1]]
    for k in keys:
        if k in t['box']: b=t['box'][k]
        else:
            a=max(f for f in fs if f<k); c=min(f for f in fs if f>k); w=(k-a)/(c-a)
            b=tuple(t['box'][a][i]*(1-w)+t['box'][c][i]*w for i in range(4))
        out.write("%d %d %.0f %.0f %.0f %.0f\n"%(k,t['id'],*b))
    print(t['id'],fs[0],fs[-1],len(fs))
if len(sys.argv)>4:
    o=open(sys.argv[4],'w')
    for t in tracks:
        fs=sorted(t['box'])
        if len(fs)<5: continue
        for k in fs: o.write("%d %d %.0f %.0f %.0f %.0f\n"%(k,t['id'],*t['box'][k]))
